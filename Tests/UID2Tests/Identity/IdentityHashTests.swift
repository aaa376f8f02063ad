import Testing
import UID2

@Suite("Identity hashes")
struct IdentityHashTests {
    @Test(arguments: [
        ("user@example.com", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="),
        ("+12345678901", "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="),
        ("validate@example.com", "ntI244ZRTXwAwpki6/M5cyBYW7h/Wq576lnN3l9+W/c="),
        ("janesaoirse@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        ("foo@bar.com", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs="),
    ])
    func hashesMatchTheDocs(_ normalized: String, _ expected: String) {
        #expect(IdentityHash.sha256Base64(normalized) == expected)
    }

    @Test(arguments: [
        ("DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs=", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs="),
        ("0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs="),
        ("0c7e6a405862e402eb76a70f8a26fc732d07c32931e9fae9ab1582911d2e8a3b", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs="),
        // 44 characters the operator's decoder accepts, even though they decode to 33 bytes.
        ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ])
    func acceptsWhatTheOperatorAccepts(_ input: String, _ expected: String) {
        #expect(IdentityHash.canonicalHash(input) == expected)
    }

    @Test(arguments: [
        "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs",     // 43 characters, no padding
        " DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs=",   // surrounding space
        "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uij_=",    // base64url alphabet
        "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0u=js=",    // padding in the middle
        "0c7e6a405862e402eb76a70f8a26fc732d07c32931e9fae9ab1582911d2e8a3g",  // not hex
        "",
    ])
    func rejectsTheRest(_ input: String) {
        #expect(IdentityHash.canonicalHash(input) == nil)
    }
}
