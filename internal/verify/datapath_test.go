package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"

	"azure-ml-security/internal/verifyspec"
)

// storageError answers as Blob storage does on a refused read: the code in x-ms-error-code
// and an XML body (https://learn.microsoft.com/rest/api/storageservices/status-and-error-codes2).
func storageError(status int, code, message string) http.HandlerFunc {
	return func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("x-ms-error-code", code)
		rw.Header().Set("Content-Type", "application/xml")
		rw.WriteHeader(status)
		fmt.Fprintf(rw, `<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s
RequestId:0f7a7e4e-0000-0000-0000-000000000000
Time:2026-11-27T20:00:00.0000000Z</Message></Error>`, code, message)
	}
}

// TestBlobAnswers covers the answers Azurite cannot give, the storage firewall
// (AuthorizationFailure) and a missing data role (AuthorizationPermissionMismatch), and
// repeats its verdicts on content without it.
func TestBlobAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler http.HandlerFunc
		status  Status
		want    []string
	}{
		{"storage firewall refuses this machine", storageError(http.StatusForbidden, "AuthorizationFailure", "This request is not authorized to perform this operation."),
			Skip, []string{"stamlsecdevlake/data/contacts.csv: the storage firewall refuses this machine (AuthorizationFailure)"}},
		{"no data role", storageError(http.StatusForbidden, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission."),
			Error, []string{"missing permission (Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read)", "Storage Blob Data Reader"}},
		{"token refused", storageError(http.StatusUnauthorized, "InvalidAuthenticationInfo", "Server failed to authenticate the request."),
			Error, []string{"storage refused verify's token (HTTP 401 InvalidAuthenticationInfo)", "az login"}},
		{"server error", storageError(http.StatusNotImplemented, "FeatureNotSupported", "not supported"),
			Error, []string{"could not read it"}},
		{"blob missing", storageError(http.StatusNotFound, "BlobNotFound", "The specified blob does not exist."),
			Fail, []string{"the sample file does not exist", "uploadSampleData"}},
		{"another file", func(rw http.ResponseWriter, _ *http.Request) {
			rw.Header().Set("Content-Type", "text/csv")
			rw.Header().Set("x-ms-blob-type", "BlockBlob")
			fmt.Fprint(rw, "\ufeffname,mail\r\nx,y\r\n")
		}, Fail, []string{`its first line is "name,mail"`}},
		{"the sample, with a byte-order mark and CRLF", func(rw http.ResponseWriter, _ *http.Request) {
			rw.Header().Set("Content-Type", "text/csv")
			rw.Header().Set("x-ms-blob-type", "BlockBlob")
			fmt.Fprint(rw, "\ufeff"+SampleHeader+"\r\n1,Ada,Quill,ada.quill@example.com,+1-202-555-0110,Springfield\r\n")
		}, Pass, []string{"it is the sample CSV"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewTLSServer(c.handler)
			t.Cleanup(srv.Close)
			spec := devSpec()
			spec.SampleData = []verifyspec.SampleFile{{URL: srv.URL + "/stamlsecdevlake/data/contacts.csv"}}
			v, err := New(spec, &fakeCredential{}, Options{Transport: srv.Client(), Retry: testRetry, SQL: &fakeSQL{}})
			if err != nil {
				t.Fatal(err)
			}
			r := v.readSample(ctx, spec.SampleData[0].URL)
			expect(t, r, c.status, c.want...)
		})
	}

	t.Run("not reachable", func(t *testing.T) {
		t.Parallel()
		spec := devSpec()
		v, err := New(spec, &fakeCredential{}, Options{Retry: testRetry, SQL: &fakeSQL{}})
		if err != nil {
			t.Fatal(err)
		}
		expect(t, v.readSample(ctx, "https://"+closedPort(t)+"/stamlsecdevlake/data/contacts.csv"), Skip, "not reachable from here")
	})
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestDataPathWithoutData(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	spec.SampleData, spec.Connections = nil, nil
	expect(t, only(t, serve(t, newWorld(t, spec), spec).checkDataPath(ctx)), Skip, "no sample data and has no SQL connection")
}

func TestSQLConnectionString(t *testing.T) {
	t.Parallel()
	dsn := sqlDSN("sql-amlsec-dev.database.windows.net", "sqldb-amlsec")
	cfg, err := msdsn.Parse(dsn)
	if err != nil {
		t.Fatalf("go-mssqldb cannot parse %s: %v", dsn, err)
	}
	if cfg.Host != "sql-amlsec-dev.database.windows.net" || cfg.Port != 1433 || cfg.Database != "sqldb-amlsec" {
		t.Errorf("%s: host %q port %d database %q", dsn, cfg.Host, cfg.Port, cfg.Database)
	}
	if cfg.Encryption != msdsn.EncryptionRequired || cfg.TLSConfig == nil || cfg.TLSConfig.InsecureSkipVerify {
		t.Errorf("%s: encryption %v, TLS %+v: want required, with the certificate checked", dsn, cfg.Encryption, cfg.TLSConfig)
	}
	if cfg.ConnTimeout != 15*time.Second || cfg.AppName != "azure-ml-security-verify" {
		t.Errorf("%s: connection timeout %v, app name %q", dsn, cfg.ConnTimeout, cfg.AppName)
	}
	if strings.Contains(strings.ToLower(dsn), "password") || strings.Contains(strings.ToLower(dsn), "user id") {
		t.Errorf("%s carries a login: the token is the only credential", dsn)
	}
}

func TestSQLTokenRequest(t *testing.T) {
	t.Parallel()
	cred := &fakeCredential{token: "sql-token"}
	tok, err := sqlTokenProvider(cred)(ctx)
	if err != nil || tok != "sql-token" {
		t.Fatalf("token %q, %v", tok, err)
	}
	if len(cred.scopes) != 1 || cred.scopes[0] != "https://database.windows.net/.default" {
		t.Errorf("scopes %v, want Azure SQL's", cred.scopes)
	}

	_, err = sqlTokenProvider(&fakeCredential{err: errors.New("AzureCLICredential: please run 'az login'")})(ctx)
	expect(t, sqlResult("sql/db", err), Error, "no Entra token for SQL", "az login")
}

// The real driver against a closed port: the dial fails and the check says so, as it does
// for a private server seen from outside the VNet.
func TestSQLUnreachable(t *testing.T) {
	t.Parallel()
	addr := closedPort(t)
	dsn := strings.Replace(sqlDSN("127.0.0.1", "sqldb-amlsec"), "127.0.0.1:1433", addr, 1)
	cred := &fakeCredential{}
	err := selectOne(ctx, dsn, sqlTokenProvider(cred))
	if err == nil {
		t.Fatal("SELECT 1 against a closed port succeeded")
	}
	expect(t, sqlResult("127.0.0.1/sqldb-amlsec", err), Skip, "not reachable from here")
	if len(cred.scopes) != 0 {
		t.Errorf("a token was asked for before the server answered: %v", cred.scopes)
	}
}

func TestSQLAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err    error
		status Status
		want   []string
	}{
		{nil, Pass, []string{"SELECT 1 answered, logged in with an Entra token"}},
		{mssql.Error{Number: 47073, Message: "Reason: An instance-specific error occurred while establishing a connection to SQL Server. Connection was denied since Deny Public Network Access is set to Yes."},
			Skip, []string{"public network access is Disabled", "jump VM"}},
		{fmt.Errorf("login error: %w", mssql.Error{Number: 40615, Message: "Cannot open server 'sql-amlsec-dev' requested by the login. Client with IP address '192.0.2.5' is not allowed to access the server."}),
			Skip, []string{"the server firewall refuses this machine's address"}},
		{mssql.Error{Number: 18456, Message: "Login failed for user '<token-identified principal>'."},
			Error, []string{"missing permission (a database user for the identity running verify)", "CREATE USER", "FROM EXTERNAL PROVIDER"}},
		{&net.DNSError{Err: "no such host", Name: "sql-amlsec-dev.database.windows.net", IsNotFound: true}, Skip, []string{"not reachable from here"}},
		{mssql.Error{Number: 40613, Message: "Database 'sqldb-amlsec' on server 'sql-amlsec-dev' is not currently available."}, Error, []string{"SELECT 1 failed"}},
	}
	for _, c := range cases {
		spec := devSpec()
		v, err := New(spec, &fakeCredential{}, Options{SQL: &fakeSQL{err: c.err}, Retry: testRetry})
		if err != nil {
			t.Fatal(err)
		}
		expect(t, v.pingSQL(context.Background(), "sql-amlsec-dev.database.windows.net", "sqldb-amlsec"), c.status, c.want...)
	}
}

func TestBlobLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://stamlsecdevlake.blob.core.windows.net/data/contacts.csv": "stamlsecdevlake/data/contacts.csv",
		"https://127.0.0.1:10000/devstoreaccount1/data/contacts.csv":      "devstoreaccount1/data/contacts.csv",
	} {
		if got := blobLabel(in); got != want {
			t.Errorf("blobLabel(%s) = %s, want %s", in, got, want)
		}
	}
}
