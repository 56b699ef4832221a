package datastores

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/passwords"
)

type sqlDatabase struct {
	server   *sql.Server
	database *sql.Database
	login    string
	password pulumi.StringOutput // secret
}

// newSQL creates the Azure SQL server and database (azure-reference.md §5):
//   - minimal TLS 1.2; the deploying principal as Entra administrator; SQL authentication
//     stays on because the workspace connection uses a login and password (Azure SQL is not an
//     ARM datastore type, §2);
//   - no AllowAllWindowsAzureIps (0.0.0.0) rule: the workspace reaches the server through its
//     managed private endpoint, so the only firewall rules are the allowed public IPs, and
//     none at all in private mode, where public network access is off.
func newSQL(ctx *pulumi.Context, args *DatastoresArgs, parent pulumi.ResourceOption) (*sqlDatabase, error) {
	cfg := args.SQL
	password := cfg.AdminPassword
	if !cfg.HasPassword {
		pw, err := passwords.New(ctx, "sql-admin-password", parent)
		if err != nil {
			return nil, err
		}
		password = pw
	}
	password = pulumi.ToSecret(password).(pulumi.StringOutput)

	public := "Enabled"
	if args.Private {
		public = "Disabled"
	}
	server, err := sql.NewServer(ctx, "sql-server", &sql.ServerArgs{
		ServerName:                 args.Names.Dashed("sql"),
		ResourceGroupName:          args.ResourceGroupName,
		Location:                   pulumi.String(args.Location),
		Version:                    pulumi.String("12.0"),
		MinimalTlsVersion:          pulumi.String("1.2"),
		PublicNetworkAccess:        pulumi.String(public),
		AdministratorLogin:         pulumi.String(cfg.AdminLogin),
		AdministratorLoginPassword: password,
		Administrators: &sql.ServerExternalAdministratorArgs{
			AdministratorType:         pulumi.String(string(sql.AdministratorTypeActiveDirectory)),
			Login:                     pulumi.String("pulumi-deployer"),
			Sid:                       pulumi.String(args.DeployerObjectID),
			TenantId:                  pulumi.String(args.TenantID),
			AzureADOnlyAuthentication: pulumi.Bool(false),
		},
		Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	sku := &sql.SkuArgs{Name: pulumi.String(cfg.SkuName), Tier: pulumi.String(cfg.SkuTier)}
	if cfg.SkuFamily != "" {
		sku.Family = pulumi.String(cfg.SkuFamily)
		sku.Capacity = pulumi.Int(cfg.SkuCapacity)
	}
	db, err := sql.NewDatabase(ctx, "sql-database", &sql.DatabaseArgs{
		DatabaseName:      pulumi.String("sqldb-" + args.Names.Workload()),
		ServerName:        server.Name,
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		Sku:               sku,
		MaxSizeBytes:      pulumi.Float64(float64(cfg.MaxSizeGB) * (1 << 30)),
		Tags:              args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	if !args.Private {
		for i, ip := range args.AllowedIPs {
			first, last := ipRange(ip)
			if _, err := sql.NewFirewallRule(ctx, fmt.Sprintf("sql-allowed-ip-%d", i), &sql.FirewallRuleArgs{
				FirewallRuleName:  pulumi.String(fmt.Sprintf("allowed-ip-%d", i)),
				ServerName:        server.Name,
				ResourceGroupName: args.ResourceGroupName,
				StartIpAddress:    pulumi.String(first),
				EndIpAddress:      pulumi.String(last),
			}, parent); err != nil {
				return nil, err
			}
		}
	}
	return &sqlDatabase{server: server, database: db, login: cfg.AdminLogin, password: password}, nil
}

// ipRange turns a validated address or CIDR into the first and last address SQL firewall
// rules take.
func ipRange(s string) (string, string) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return s, s
	}
	first := p.Masked().Addr()
	last := first.As4()
	hostBits := 32 - p.Bits()
	for i := 3; i >= 0 && hostBits > 0; i-- {
		n := min(hostBits, 8)
		last[i] |= byte(1<<n - 1)
		hostBits -= n
	}
	return first.String(), netip.AddrFrom4(last).String()
}
