package verify

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"azure-ml-security/internal/verifyspec"
)

// azuriteVersion is the Azurite that .ci/install-azurite installs.
const azuriteVersion = "3.37.0"

// azuriteBlob finds the azurite-blob executable: $AZURITE_BLOB, else the cache folder of
// .ci/install-azurite. Without it the test skips, except in CI, where it must run.
func azuriteBlob(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AZURITE_BLOB"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("AZURITE_BLOB=%s: %v", p, err)
		}
		return p
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			t.Fatal(err)
		}
		cache = filepath.Join(home, ".cache")
	}
	p := filepath.Join(cache, "azure-ml-security", "azurite-"+azuriteVersion, "node_modules", ".bin", "azurite-blob")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("azurite-blob is not at %s and AZURITE_BLOB is not set: CI must run .ci/install-azurite", p)
	}
	t.Skipf("Azurite is not installed (%s): run .ci/install-azurite or set AZURITE_BLOB", p)
	return ""
}

// startAzurite runs Azurite's blob service on a free loopback port with OAuth on, which
// needs HTTPS: a certificate made here for 127.0.0.1, trusted by the returned client.
// It is stopped when the test ends.
func startAzurite(t *testing.T) (endpoint string, client *http.Client) {
	t.Helper()
	bin := azuriteBlob(t)
	dir := t.TempDir()
	certPEM, keyPEM := selfSignedCert(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	// --oauth basic checks a bearer token's issuer, audience and lifetime but not its
	// signature; --skipApiVersionCheck because azblob may speak a newer x-ms-version than
	// this Azurite (Azurite's README).
	cmd := exec.Command(bin, "--blobHost", "127.0.0.1", "--blobPort", "0",
		"--oauth", "basic", "--cert", certFile, "--key", keyFile,
		"--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--extentMemoryLimit", "64",
		"--disableTelemetry", "--silent")
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	listening := regexp.MustCompile(`successfully listens on (https://127\.0\.0\.1:\d+)`)
	found := make(chan string, 1)
	var lines []string
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			} else if len(lines) < 20 {
				lines = append(lines, sc.Text())
			}
		}
		close(found)
	}()
	select {
	case url, ok := <-found:
		if !ok {
			t.Fatalf("Azurite stopped before it listened: %s", strings.Join(lines, "\n"))
		}
		endpoint = url
	case <-time.After(30 * time.Second):
		t.Fatal("Azurite did not listen within 30 s")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	return endpoint, client
}

func selfSignedCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
}

// entraJWT is shaped like an Entra ID access token for audience: what Azurite reads of it.
func entraJWT(t *testing.T, audience string) string {
	t.Helper()
	now := time.Now().Unix()
	claims, err := json.Marshal(map[string]any{
		"aud": audience, "iss": "https://sts.windows.net/ffffffff-0000-0000-0000-00000000000f/",
		"iat": now, "nbf": now - 60, "exp": now + 3600,
		"oid": "99999999-0000-0000-0000-000000000000", "tid": "ffffffff-0000-0000-0000-00000000000f",
	})
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(claims) + "." + enc([]byte("not-checked"))
}

// TestSampleReadWithEntraToken reads blobs from Azurite with OAuth, as verify reads the
// stack's contacts.csv: the program's own sample passes, anything else fails.
func TestSampleReadWithEntraToken(t *testing.T) {
	t.Parallel()
	endpoint, client := startAzurite(t)
	account := endpoint + "/devstoreaccount1"
	storageCred := &fakeCredential{token: entraJWT(t, "https://storage.azure.com")}

	up, err := azblob.NewClient(account, storageCred, &azblob.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: client}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.CreateContainer(ctx, "data", nil); err != nil {
		t.Fatalf("create container in Azurite: %v", err)
	}
	for name, body := range map[string]string{
		"contacts.csv":    SampleHeader + "\n1,Ada,Quill,ada.quill@example.com,+1-202-555-0110,Springfield\n",
		"overwritten.csv": "name;mail\nx;y\n",
	} {
		if _, err := up.UploadBuffer(ctx, "data", name, []byte(body), nil); err != nil {
			t.Fatalf("upload %s to Azurite: %v", name, err)
		}
	}

	cases := []struct {
		name   string
		blob   string
		cred   *fakeCredential
		status Status
		want   []string
	}{
		{"the program's sample", "contacts.csv", storageCred, Pass, []string{"devstoreaccount1/data/contacts.csv: read with an Entra token (no key); it is the sample CSV"}},
		{"an overwritten file", "overwritten.csv", storageCred, Fail, []string{`its first line is "name;mail"`, "upload the sample again"}},
		{"a missing file", "gone.csv", storageCred, Fail, []string{"the sample file does not exist"}},
		{"a token for another audience", "contacts.csv", &fakeCredential{token: entraJWT(t, "https://management.azure.com")}, Error,
			[]string{"storage refused verify's token (HTTP 403 AuthenticationFailed)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := devSpec()
			spec.SampleData = []verifyspec.SampleFile{{URL: account + "/data/" + c.blob}}
			v, err := New(spec, c.cred, Options{Transport: client, Retry: testRetry, SQL: &fakeSQL{}})
			if err != nil {
				t.Fatal(err)
			}
			expect(t, v.readSample(ctx, spec.SampleData[0].URL), c.status, c.want...)
			for _, s := range c.cred.scopes {
				if s != "https://storage.azure.com/.default" {
					t.Errorf("blob read asked for a token for %q, want storage's", s)
				}
			}
		})
	}
}

// The header verify expects is the one the program uploads. Read from the source rather
// than imported, so verify's tests do not build the program's components.
func TestSampleHeaderMatchesTheProgram(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join("..", "..", "components", "datastores", "sampledata.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), `"`+SampleHeader+`\n"`) {
		t.Errorf("components/datastores/sampledata.go no longer writes the header %q: update SampleHeader", SampleHeader)
	}
}
