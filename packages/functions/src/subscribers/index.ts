/**
 * Event subscribers. On AWS each runs as its own Lambda behind an EventBridge rule
 * (infra/bus.ts); locally they are registered with the in-process bus.
 */
export function registerSubscribers() {
  // Subscribers are added here as features need them.
}
