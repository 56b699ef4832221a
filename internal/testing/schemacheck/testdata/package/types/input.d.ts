import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as enums from "../types/enums";
export declare namespace demo {
    interface TopLevelArgs {
        value?: pulumi.Input<string>;
    }
    namespace v1 {
        interface SettingsArgs {
            /**
             * Nested mode.
             */
            level?: pulumi.Input<string | enums.demo.v1.Mode>;
            inner?: pulumi.Input<inputs.demo.v1.InnerArgs>;
        }
        /**
         * settingsArgsProvideDefaults sets the appropriate defaults for SettingsArgs
         */
        function settingsArgsProvideDefaults(val: SettingsArgs): SettingsArgs;
        interface InnerArgs {
            flag?: pulumi.Input<boolean>;
        }
        interface CircleArgs {
            kind: pulumi.Input<"Circle">;
            radius?: pulumi.Input<number>;
        }
        interface SquareArgs {
            kind: pulumi.Input<"Square">;
            side?: pulumi.Input<number>;
        }
        interface RuleArgs {
            priority: pulumi.Input<number>;
            sources?: pulumi.Input<pulumi.Input<string>[]>;
        }
    }
}
export declare namespace other {
    namespace v1 {
        interface SettingsArgs {
            unrelated?: pulumi.Input<string>;
        }
    }
}
