/**
 * What the console's own functions may do in AWS. Reaching a customer account is
 * always through the role its connection stack created (`console-<connection>`),
 * with that connection's external id.
 */
export const assumeCustomerRoles = {
  actions: ["sts:AssumeRole"],
  resources: ["arn:aws:iam::*:role/console-*"],
};
