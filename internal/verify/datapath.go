package verify

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	mssql "github.com/microsoft/go-mssqldb"
)

// SampleHeader is the first line of the contacts.csv the program uploads
// (components/datastores/sampledata.go).
const SampleHeader = "id,first_name,last_name,email,phone,city"

// checkDataPath reads every sample file with an Entra token and opens every SQL connection
// with one: the path a notebook takes, minus the managed network. A network that refuses
// this machine (a private account seen from outside, an address not in allowedIpAddresses)
// is a SKIP, since it proves nothing about the workspace's own path.
func (v *Verifier) checkDataPath(ctx context.Context) []Result {
	var out []Result
	for _, f := range v.spec.SampleData {
		out = append(out, v.readSample(ctx, f.URL))
	}
	for _, c := range v.spec.Connections {
		if strings.EqualFold(c.Category, "AzureSqlDb") && c.Server != "" {
			out = append(out, v.pingSQL(ctx, c.Server, c.Database))
		}
	}
	if len(out) == 0 {
		return []Result{skip(CheckDataPath, "the stack uploaded no sample data and has no SQL connection")}
	}
	return out
}

// readSample downloads one blob with the credential (OAuth, never a key: the accounts default
// to OAuth and the program turns shared keys off where it can) and checks it is the CSV.
func (v *Verifier) readSample(ctx context.Context, rawURL string) Result {
	name := blobLabel(rawURL)
	c, err := blob.NewClient(rawURL, v.cred, &blob.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: v.opts.Transport,
		Retry:     v.opts.Retry,
	}})
	if err != nil {
		return Result{Check: CheckDataPath, Status: Error, Detail: fmt.Sprintf("%s: %s", name, oneLine(err)),
			Fix: "the stack's sampleData URL is not a blob URL: check the program's verification output"}
	}
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := c.DownloadStream(rctx, nil)
	if err != nil {
		return blobResult(name, err)
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(io.LimitReader(resp.Body, 1<<20)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return blobResult(name, err)
	}
	line = strings.TrimRight(strings.TrimPrefix(line, "\ufeff"), "\r\n")
	if line != SampleHeader {
		return fail(CheckDataPath, []string{fmt.Sprintf("%s: read with an Entra token, but its first line is %q, not the sample's header %q", name, truncate(line, 80), SampleHeader)},
			"the file was overwritten: run `pulumi up --refresh` to upload the sample again (uploadSampleData)")
	}
	return pass(CheckDataPath, name+": read with an Entra token (no key); it is the sample CSV")
}

// blobResult classifies a failed blob read by the storage error code
// (https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes and
// common-rest-api-error-codes).
func blobResult(name string, err error) Result {
	switch {
	case bloberror.HasCode(err, bloberror.AuthorizationFailure):
		// The account's firewall: public access off, or this address not admitted.
		return skip(CheckDataPath, name+": the storage firewall refuses this machine (AuthorizationFailure), as expected outside the VNet or from an address not in allowedIpAddresses; run verify from the jump VM to read it")
	case bloberror.HasCode(err, bloberror.AuthorizationPermissionMismatch):
		return Result{Check: CheckDataPath, Status: Error,
			Detail: name + ": missing permission (Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read): the identity running verify may not read blobs",
			Fix:    "give it Storage Blob Data Reader on the account: az role assignment create --assignee <your user or app id> --role \"Storage Blob Data Reader\" --scope <storage account id>"}
	case bloberror.HasCode(err, bloberror.BlobNotFound, bloberror.ContainerNotFound, bloberror.ResourceNotFound):
		return fail(CheckDataPath, []string{name + ": the sample file does not exist"}, "run `pulumi up --refresh` to upload it again (uploadSampleData)")
	case bloberror.HasCode(err, bloberror.AuthenticationFailed, bloberror.InvalidAuthenticationInfo, bloberror.NoAuthenticationInformation):
		return Result{Check: CheckDataPath, Status: Error,
			Detail: name + ": storage refused verify's token (" + storageMessage(err) + ")",
			Fix:    "sign in to the stack's tenant (az login --tenant <tenant>); storage needs a token for https://storage.azure.com"}
	case unreachable(err):
		return skip(CheckDataPath, name+": not reachable from here ("+oneLine(err)+"), as expected outside the VNet")
	}
	return Result{Check: CheckDataPath, Status: Error, Detail: name + ": could not read it: " + oneLine(err),
		Fix: "re-run verify; if the error stays, read the account's diagnostic logs"}
}

func storageMessage(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return fmt.Sprintf("HTTP %d %s", re.StatusCode, re.ErrorCode)
	}
	return oneLine(err)
}

// unreachable reports network failures: no route, refused, timed out, no such host.
func unreachable(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &opErr) || errors.As(err, &dnsErr) || errors.Is(err, context.DeadlineExceeded)
}

// blobLabel shows a blob URL as account/container/path.
func blobLabel(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	account := u.Hostname()
	if net.ParseIP(account) != nil {
		// A path-style URL (an emulator): the account is the first path segment.
		return strings.TrimPrefix(u.Path, "/")
	}
	if i := strings.IndexByte(account, '.'); i > 0 {
		account = account[:i]
	}
	return account + u.Path
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// sqlScope is the token audience of Azure SQL Database
// (https://learn.microsoft.com/azure/azure-sql/database/authentication-aad-overview).
const sqlScope = "https://database.windows.net/.default"

// sqlDSN is the go-mssqldb connection string of an Azure SQL database: TLS with the server's
// certificate checked, and a short connection timeout since a private server seen from
// outside only times out.
func sqlDSN(server, database string) string {
	q := url.Values{}
	q.Set("database", database)
	q.Set("encrypt", "true")
	q.Set("TrustServerCertificate", "false")
	q.Set("connection timeout", "15")
	q.Set("app name", "azure-ml-security-verify")
	u := url.URL{Scheme: "sqlserver", Host: server + ":1433", RawQuery: q.Encode()}
	return u.String()
}

// sqlTokenProvider asks the credential for an Azure SQL token each time go-mssqldb logs in.
func sqlTokenProvider(cred azcore.TokenCredential) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{sqlScope}})
		if err != nil {
			return "", &tokenError{err}
		}
		return tok.Token, nil
	}
}

// tokenError is a failure to get the SQL token, as opposed to SQL refusing it.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "token for " + sqlScope + ": " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// entraSQL logs in to Azure SQL with an Entra access token
// (github.com/microsoft/go-mssqldb NewConnectorWithAccessTokenProvider) and runs SELECT 1.
type entraSQL struct {
	cred azcore.TokenCredential
}

func (e *entraSQL) Ping(ctx context.Context, server, database string) error {
	return selectOne(ctx, sqlDSN(server, database), sqlTokenProvider(e.cred))
}

func selectOne(ctx context.Context, dsn string, token func(context.Context) (string, error)) error {
	conn, err := mssql.NewConnectorWithAccessTokenProvider(dsn, token)
	if err != nil {
		return err
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	if one != 1 {
		return fmt.Errorf("SELECT 1 returned %d", one)
	}
	return nil
}

// SQL error numbers that mean the network, not the database, refused
// (https://learn.microsoft.com/azure/azure-sql/database/troubleshoot-common-errors-issues).
const (
	sqlDenyPublicAccess = 47073 // public network access is Disabled
	sqlFirewallRefused  = 40615 // this client's address is not in the server firewall
	sqlLoginFailed      = 18456
)

func (v *Verifier) pingSQL(ctx context.Context, server, database string) Result {
	name := server + "/" + database
	err := v.opts.SQL.Ping(ctx, server, database)
	if err == nil {
		return pass(CheckDataPath, name+": SELECT 1 answered, logged in with an Entra token")
	}
	return sqlResult(name, err)
}

func sqlResult(name string, err error) Result {
	var se mssql.Error
	if errors.As(err, &se) {
		switch se.SQLErrorNumber() {
		case sqlDenyPublicAccess:
			return skip(CheckDataPath, name+": public network access is Disabled, so SQL is reachable only from inside the VNet; run verify from the jump VM")
		case sqlFirewallRefused:
			return skip(CheckDataPath, name+": the server firewall refuses this machine's address (not in allowedIpAddresses)")
		case sqlLoginFailed:
			return Result{Check: CheckDataPath, Status: Error,
				Detail: name + ": missing permission (a database user for the identity running verify): " + firstLine(se.Message),
				Fix: "as the server's Entra admin, run in the database: CREATE USER [<your user or app name>] FROM EXTERNAL PROVIDER; " +
					"ALTER ROLE db_datareader ADD MEMBER [<your user or app name>];"}
		}
	}
	if unreachable(err) {
		return skip(CheckDataPath, name+": not reachable from here ("+firstLine(err.Error())+"), as expected outside the VNet")
	}
	var te *tokenError
	if errors.As(err, &te) {
		return Result{Check: CheckDataPath, Status: Error, Detail: name + ": no Entra token for SQL: " + firstLine(err.Error()),
			Fix: "sign in to the stack's tenant (az login --tenant <tenant>)"}
	}
	return Result{Check: CheckDataPath, Status: Error, Detail: name + ": SELECT 1 failed: " + firstLine(err.Error()),
		Fix: "re-run verify; if it stays, read the server's Activity log and SQL auditing"}
}
