// util.js - small helpers the screens share.

// A state update made from the latest state, so that two changes in a row
// (a select, then a field) never undo each other: setForm(put('stage', v)).
export const put = (key, value) => (old) => ({ ...old, [key]: value });
