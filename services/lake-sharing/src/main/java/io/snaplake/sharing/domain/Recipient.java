package io.snaplake.sharing.domain;

/**
 * Who receives a cluster's shared tables: an AWS account (the grant goes to the account, whose admin re-grants
 * inside it) or one IAM principal of that account.
 *
 * @param accountId   12-digit account id
 * @param principal   the Lake Formation principal identifier: the account id or a principal's ARN
 * @param grantOption whether the recipient may re-grant what it receives (AWS then requires include lists)
 */
public record Recipient(String accountId, String principal, boolean grantOption) {

    public static Recipient account(String accountId, boolean grantOption) {
        return new Recipient(accountId, accountId, grantOption);
    }
}
