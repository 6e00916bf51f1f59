/**
 * The one epsilon that guards every logarithm of a probability (METHOD.md 5: "All KL use a
 * named epsilon (1e-7) for logs"): the KL scores, the fine-tuning net's loss and the CNN's
 * validation loss. With one value, a zero probability costs the same -ln(1e-7) ~ 16.1 nats in
 * a training loss as in a review score, so losses and scores of the same predictions agree.
 */
export const LOG_EPSILON = 1e-7;
