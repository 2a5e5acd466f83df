import type { ClauseDef } from './types.ts';

export const subscriptionCountClauses = {
  'subscription-count.on-change': {
    area: 'subscription-count',
    level: 'MUST',
    title: 'Count sent after subscribe and unsubscribe',
    text: 'When the app has subscription counting enabled, the server MUST send pusher_internal:subscription_count to the channel\'s subscribers after each subscribe and unsubscribe, subject only to the throttle above 100 subscribers.',
    sources: [
      { source: 'pusher-docs/events', section: 'pusher:subscription_count' },
      { source: 'pusher-js/channel', note: 'handles pusher_internal:subscription_count' },
      { source: 'pusher-js/unit-tests', note: 'channel spec feeds the event and checks the re-emitted pusher:subscription_count' },
      { source: 'vask/events' },
    ],
    impact: 'Viewer counters bound to pusher:subscription_count never update.',
  },
  'subscription-count.value': {
    area: 'subscription-count',
    level: 'MUST',
    title: 'Count is the number of subscribed connections',
    text: 'The data of subscription_count MUST decode to {subscription_count: N}, with N the number of connections subscribed to the channel at that moment.',
    sources: [
      { source: 'pusher-docs/events', section: 'pusher:subscription_count' },
      { source: 'pusher-js/channel', note: 'stores data.subscription_count' },
    ],
    impact: 'Counters show wrong numbers; a missing field leaves pusher-js with undefined.',
  },
  'subscription-count.not-presence': {
    area: 'subscription-count',
    level: 'MUST',
    title: 'Never on presence channels',
    text: 'The server MUST NOT send subscription_count on presence channels.',
    sources: [
      { source: 'pusher-docs/events', section: 'pusher:subscription_count' },
      { source: 'pusher-docs/rest-api', note: 'subscription_count is not available for presence channels' },
    ],
    impact: 'Presence clients would get counts of connections that disagree with their member count.',
  },
  'subscription-count.disabled': {
    area: 'subscription-count',
    level: 'SHOULD',
    title: 'No count unless enabled',
    text: 'The server SHOULD NOT send subscription_count for an app that has not enabled the feature.',
    sources: [{ source: 'pusher-docs/events', section: 'pusher:subscription_count', note: 'opt-in per app' }],
    impact: 'Unwanted count frames add traffic to every subscribe on busy channels.',
  },
  'subscription-count.unthrottled-up-to-100': {
    area: 'subscription-count',
    level: 'SHOULD',
    title: 'Every change reported up to 100 subscribers',
    text: 'While a channel has 100 subscribers or fewer, the server SHOULD report every change of the count without delay.',
    sources: [
      { source: 'pusher-docs/events', note: 'throttled only with more than 100' },
      { source: 'soketify/channels', note: 'says 100+' },
    ],
    impact: 'Small rooms would show lagging viewer counts.',
    ambiguity: 'subscription-count-throttle-boundary',
  },
  'subscription-count.throttle-above-100': {
    area: 'subscription-count',
    level: 'MAY',
    title: 'Throttle above 100 subscribers',
    text: 'While a channel has more than 100 subscribers, the server MAY send subscription_count at most once every 5 seconds.',
    sources: [
      { source: 'pusher-docs/events', section: 'pusher:subscription_count' },
      { source: 'soketify/channels', section: 'Subscription Count' },
    ],
    impact: 'None; it spares large channels a flood of count updates.',
    ambiguity: 'subscription-count-throttle-boundary',
  },
} as const satisfies Record<string, ClauseDef>;
