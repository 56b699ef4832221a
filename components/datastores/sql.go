package datastores

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/passwords"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

type sqlDatabase struct {
	server   *sql.Server
	database *sql.Database
	login    string
	password pulumi.StringOutput // secret
}

// newSQL creates the Azure SQL server and database (PSRule Azure.SQL.MinTLS, Azure.SQL.AAD,
// Azure.SQL.AllowAzureAccess):
//   - minimal TLS 1.2; the deploying principal as Entra administrator; SQL authentication
//     stays on because the workspace connection uses a login and password (Azure SQL is not an
//     ARM datastore type, see connectionAzureSQL);
//   - no AllowAllWindowsAzureIps (0.0.0.0) rule: the workspace reaches the server through its
//     managed private endpoint, so the only firewall rules are the allowed public IPs, and
//     none at all in private mode, where public network access is off.
//
// sqlServer makes the SQL target's store.
func sqlServer(ctx *pulumi.Context, w *wiring, _ target) (*store, error) {
	db, err := newSQL(ctx, w)
	if err != nil {
		return nil, err
	}
	return &store{id: db.server.ID().ToStringOutput(), sql: db}, nil
}

func newSQL(ctx *pulumi.Context, w *wiring) (*sqlDatabase, error) {
	args, cfg := w.args, w.args.SQL
	password := cfg.AdminPassword
	if !cfg.HasPassword {
		pw, err := passwords.New(ctx, w.names.Name("sql-admin-password"), w.names.Opts("sql-admin-password")...)
		if err != nil {
			return nil, err
		}
		password = pw
	}
	password = pulumi.ToSecret(password).(pulumi.StringOutput)

	sid, principalType := sqlAdministrator(args.Deployer, args.DeployerClientID)
	server, err := sql.NewServer(ctx, w.names.Name("sql-server"), &sql.ServerArgs{
		ServerName:                 args.Names.Dashed("sql"),
		ResourceGroupName:          args.ResourceGroupName,
		Location:                   pulumi.String(args.Location),
		Version:                    pulumi.String("12.0"),
		MinimalTlsVersion:          pulumi.String("1.2"),
		PublicNetworkAccess:        pulumi.String(privatelink.PublicNetworkAccess(args.Private)),
		AdministratorLogin:         pulumi.String(cfg.AdminLogin),
		AdministratorLoginPassword: password,
		Administrators: &sql.ServerExternalAdministratorArgs{
			AdministratorType:         pulumi.String(string(sql.AdministratorTypeActiveDirectory)),
			Login:                     pulumi.String("pulumi-deployer"),
			Sid:                       pulumi.String(sid),
			PrincipalType:             pulumi.String(principalType),
			TenantId:                  pulumi.String(args.TenantID),
			AzureADOnlyAuthentication: pulumi.Bool(false),
		},
		Tags: args.Tags,
	}, w.names.Opts("sql-server", pulumi.Protect(args.Protect))...)
	if err != nil {
		return nil, err
	}

	sku := &sql.SkuArgs{Name: pulumi.String(cfg.Sku.Name), Tier: pulumi.String(cfg.Sku.Tier)}
	if cfg.Sku.Family != "" {
		sku.Family = pulumi.String(cfg.Sku.Family)
		sku.Capacity = pulumi.Int(cfg.Sku.Capacity)
	}
	db, err := sql.NewDatabase(ctx, w.names.Name("sql-database"), &sql.DatabaseArgs{
		DatabaseName:      pulumi.String("sqldb-" + args.Names.Workload()),
		ServerName:        server.Name,
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		Sku:               sku,
		MaxSizeBytes:      pulumi.Float64(float64(cfg.MaxSizeGB) * (1 << 30)),
		Tags:              args.Tags,
	}, w.names.Opts("sql-database", pulumi.Protect(args.Protect))...)
	if err != nil {
		return nil, err
	}
	if args.LogAnalyticsWorkspaceID != nil {
		if err := auditSQL(ctx, w, server, db); err != nil {
			return nil, err
		}
	}

	if !args.Private {
		for i, ip := range args.AllowedIPs {
			first, last := ipRange(ip)
			name := fmt.Sprintf("sql-allowed-ip-%d", i)
			if _, err := sql.NewFirewallRule(ctx, w.names.Name(name), &sql.FirewallRuleArgs{
				FirewallRuleName:  pulumi.String(fmt.Sprintf("allowed-ip-%d", i)),
				ServerName:        server.Name,
				ResourceGroupName: args.ResourceGroupName,
				StartIpAddress:    pulumi.String(first),
				EndIpAddress:      pulumi.String(last),
			}, w.names.Opts(name)...); err != nil {
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

// sqlAdministrator is the SQL server's Entra administrator for the deploying principal: its
// sid and principal type. A person is a User known by object id; a service principal (an OIDC
// deployer in Pulumi Deployments) is an Application, and SQL knows an application by its
// client id: "The sid is the Microsoft Entra Object ID for the user or group, and Application
// ID for applications" (https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-only-authentication-create-server),
// and an application's SID in sys.server_principals is "the binary representation of its
// Microsoft Entra client ID" (https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-server-principals-transact-sql).
// The REST reference calls sid "object ID", and one user reports the service principal's
// object id working too (MicrosoftDocs/azure-docs#108448); ARM accepts either, so the fake
// cannot tell them apart. The client id is what Microsoft documents and what the portal sets
// (hashicorp/terraform-provider-azurerm#16224), so it is used; a service principal whose
// client id is unknown ("", as for some managed identities) falls back to its object id.
func sqlAdministrator(deployer rbac.Principal, clientID string) (sid, principalType string) {
	if deployer.Type != rbac.PrincipalServicePrincipal {
		return deployer.ObjectID, string(sql.PrincipalTypeUser)
	}
	if clientID == "" {
		return deployer.ObjectID, string(sql.PrincipalTypeApplication)
	}
	return clientID, string(sql.PrincipalTypeApplication)
}
