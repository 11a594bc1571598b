// @ovn-nbgen/ovsdb/live: the live NB reader (the rows any OVN CNI wrote, read with select only)
// and row attribution, as explain, matrix and test --db use them. The root has readLiveNb.
export * from '../live/index.js';
