import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../../types/input";
import * as enums from "../../types/enums";
/**
 * The set of arguments for constructing a Thing resource.
 */
export interface ThingArgs {
    /**
     * The name.
     */
    name?: pulumi.Input<string>;
    mode?: pulumi.Input<string | enums.demo.v1.Mode>;
    strictMode?: pulumi.Input<enums.demo.v1.Mode>;
    count?: pulumi.Input<number>;
    enabled?: pulumi.Input<boolean>;
    settings?: pulumi.Input<inputs.demo.v1.SettingsArgs>;
    shape: pulumi.Input<inputs.demo.v1.CircleArgs | inputs.demo.v1.SquareArgs>;
    rules?: pulumi.Input<pulumi.Input<inputs.demo.v1.RuleArgs>[]>;
    ids?: pulumi.Input<pulumi.Input<string>[]>;
    tags?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    }>;
    source?: pulumi.Input<pulumi.asset.Asset | pulumi.asset.Archive>;
}
