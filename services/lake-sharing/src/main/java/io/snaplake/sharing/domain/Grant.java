package io.snaplake.sharing.domain;

/**
 * One permission of one principal on one resource: the unit the sharer compares and converges. A Lake
 * Formation grant of several permissions is several of these.
 *
 * @param grantOption whether the principal may grant it on
 */
public record Grant(String principal, LfResource resource, Permission permission, boolean grantOption) {

    @Override
    public String toString() {
        return permission + (grantOption ? " (with grant option)" : "") + " on " + resource + " to " + principal;
    }
}
