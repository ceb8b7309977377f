import noConnectionInHandler from './no-connection-in-handler.js';

/** The rule map: rule id → rule. Test and doc files must match these names (meta-test). */
export const rules = {
  'no-connection-in-handler': noConnectionInHandler,
};
