package settings

// Profile is a named set of FQDN outbound rules that one scenario needs in a managed network
// that allows only approved outbound traffic.
type Profile struct {
	FQDNs []string
	// Source is where the list comes from.
	Source string
}

// OutboundProfiles are the profiles outboundProfiles accepts. FQDN rules carry ports 80 and
// 443 only, and the first one makes Azure create the managed network's Azure Firewall
// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network, "Limitations" and
// "Pricing").
var OutboundProfiles = map[string]Profile{
	// pip reads the index at pypi.org and downloads the packages from files.pythonhosted.org,
	// so the wildcard is needed even with the default index.
	"pypi": {
		FQDNs:  []string{"pypi.org", "*.pythonhosted.org"},
		Source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (recommended outbound rules: Python packages)",
	},
	"conda": {
		FQDNs:  []string{"anaconda.com", "*.anaconda.com", "*.anaconda.org"},
		Source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (recommended outbound rules: conda packages and repo data)",
	},
	// huggingface.co is the model hub itself; Microsoft's scenario lists the download hosts and
	// its model-catalog page adds the hub (MicrosoftDocs/azure-docs#120965, which also reports
	// that *.docker.io is needed beside docker.io).
	"huggingface": {
		FQDNs: []string{"huggingface.co", "cdn-lfs.huggingface.co", "cdn.auth0.com", "docker.io", "*.docker.io", "*.docker.com",
			"production.cloudflare.docker.com"},
		Source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (Scenario: Use HuggingFace models); MicrosoftDocs/azure-docs#120965",
	},
	// Docker Hub: the registry, its auth and index hosts, and the CDN its layers come from;
	// the Docker subset of Microsoft's HuggingFace scenario.
	"docker": {
		FQDNs:  []string{"docker.io", "*.docker.io", "*.docker.com", "production.cloudflare.docker.com"},
		Source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (Scenario: Use HuggingFace models, its Docker Hub hosts)",
	},
	"vscode": {
		FQDNs: []string{"*.vscode.dev", "*.vscode-unpkg.net", "*.vscode-cdn.net", "*.vscodeexperiments.azureedge.net", "default.exp-tas.com",
			"code.visualstudio.com", "update.code.visualstudio.com", "*.vo.msecnd.net", "marketplace.visualstudio.com",
			"vscode.blob.core.windows.net", "*.gallerycdn.vsassets.io", "vscode.download.prss.microsoft.com"},
		Source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network (Scenario: Use Visual Studio Code desktop or web with compute instance)",
	},
}

// Monthly list prices of the managed network's Azure Firewall, pay-as-you-go, before data
// processing: the hourly deployment price × 730 hours
// (https://azure.microsoft.com/pricing/details/azure-firewall/). Standard is $1.25 an hour, as
// third-party write-ups quoting the pricing page agree; the Basic price could not be checked
// against a stored copy of the pricing page, so check it there.
var FirewallMonthlyUSD = map[string]float64{
	"Standard": 1.25 * 730,
	"Basic":    0.395 * 730,
}
