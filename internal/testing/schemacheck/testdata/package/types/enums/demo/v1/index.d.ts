export declare const Mode: {
    /**
     * Fast.
     */
    readonly Fast: "Fast";
    readonly Safe: "Safe";
};
export type Mode = (typeof Mode)[keyof typeof Mode];
