package io.snaplake.lfsharer.domain;

import java.util.List;

/** AWS RAM resource share invitations, as the recipient account sees them. */
public interface ShareInvitations {

    /** Invitations waiting for an answer (status PENDING). */
    List<Invitation> pending();

    void accept(String invitationArn);

    /**
     * @param arn             the invitation's ARN
     * @param senderAccountId the account that shared
     * @param shareName       the resource share's name (Lake Formation names its shares LakeFormation-V3-...)
     */
    record Invitation(String arn, String senderAccountId, String shareName) {
    }
}
