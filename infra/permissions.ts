/**
 * What the console's own functions may do in AWS. Reaching a customer account is
 * always through the role its connection stack created (`console-<connection>`),
 * with that connection's external id.
 */
import { OWN_PERMISSIONS } from "../packages/core/src/aws/own-permissions";

export const assumeCustomerRoles = {
  actions: [...OWN_PERMISSIONS.assumeCustomerRoles.actions],
  resources: [...OWN_PERMISSIONS.assumeCustomerRoles.resources],
};
