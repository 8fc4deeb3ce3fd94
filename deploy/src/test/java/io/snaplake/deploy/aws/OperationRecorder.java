package io.snaplake.deploy.aws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records every AWS operation a client made ({@code Sqs:ReceiveMessage}, as the SDK names them), whatever its outcome. */
final class OperationRecorder implements ExecutionInterceptor {

    private final Set<String> operations = ConcurrentHashMap.newKeySet();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    Set<String> operations() {
        return Set.copyOf(operations);
    }
}
