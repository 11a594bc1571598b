export { JsonObjectSplitter, WatchStreamSyntaxError, type SplitValue } from './jsonObjectSplitter.js';
export { watchEventsOf, type WatchEvent } from './watchEvents.js';
