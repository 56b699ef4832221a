// Command azure-ml-security deploys a secure Azure Machine Learning workspace in one
// `pulumi up`: see README.md. The program itself is internal/stack.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/stack"
)

func main() { pulumi.Run(stack.Deploy) }
