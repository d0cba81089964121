import Testing
@testable import Config

/// `[server] cors_origins` (SPEC §4): `none` by default; origins as browsers send them in
/// `Origin`, normalised; anything else refused when the configuration loads.
@Suite struct CORSOriginsConfigTests {
    @Test func theDefaultAllowsNoOrigin() throws {
        let settings = try ConfigLoader.load(path: shippedConfigPath, environment: [:])
        #expect(settings.serverCorsOrigins == "")
    }

    @Test(arguments: [
        ("none", ""),
        ("https://app.wijkteam.example", "https://app.wijkteam.example"),
        ("HTTPS://App.Example.NL, http://localhost:5173", "https://app.example.nl,http://localhost:5173"),
        ("http://localhost:5173,http://localhost:5173", "http://localhost:5173"),
    ])
    func originsAreNormalised(text: String, stored: String) throws {
        let settings = try ConfigLoader.load(path: shippedConfigPath, environment: ["CONTINUITY_SERVER_CORS_ORIGINS": text])
        #expect(settings.serverCorsOrigins == stored)
    }

    @Test(arguments: ["*", "app.example.nl", "https://app.example.nl/", "https://app.example.nl/path", "ftp://x.example",
                      "https://", "https://x.example:0", "https://x.example:65536", "https://x.example:08080", "https://a b.example"])
    func anythingButAnOriginIsRefused(text: String) {
        #expect(throws: (any Error).self) {
            try ConfigLoader.load(path: shippedConfigPath, environment: ["CONTINUITY_SERVER_CORS_ORIGINS": text])
        }
    }
}
