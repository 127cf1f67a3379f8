/** A source of the current time; injected wherever time matters so that tests can freeze it. */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();
