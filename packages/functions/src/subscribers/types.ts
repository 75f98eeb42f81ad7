export interface EventBridgeEvent<Detail = unknown> {
  id: string;
  version?: string;
  account: string;
  source: string;
  region: string;
  time: string;
  resources?: string[];
  "detail-type": string;
  detail: Detail;
}
