import ChatctlAWS
import Testing

@Suite struct ProxySettingsTests {
    struct NoProxyCase: CustomTestStringConvertible, Sendable {
        var noProxy: String
        var host: String
        var bypasses: Bool
        var testDescription: String { "NO_PROXY=\(noProxy) host=\(host) → \(bypasses ? "direct" : "proxy")" }
    }

    static let noProxyCases: [NoProxyCase] = [
        NoProxyCase(noProxy: "127.0.0.1", host: "127.0.0.1", bypasses: true),
        NoProxyCase(noProxy: "127.0.0.1", host: "127.0.0.2", bypasses: false),
        NoProxyCase(noProxy: "*", host: "connect.us-east-1.amazonaws.com", bypasses: true),
        NoProxyCase(noProxy: "amazonaws.com", host: "connect.us-east-1.amazonaws.com", bypasses: true),
        NoProxyCase(noProxy: ".amazonaws.com", host: "connect.us-east-1.amazonaws.com", bypasses: true),
        NoProxyCase(noProxy: ".amazonaws.com", host: "amazonaws.com", bypasses: true),
        NoProxyCase(noProxy: "amazonaws.com", host: "notamazonaws.com", bypasses: false),
        NoProxyCase(noProxy: "localhost, 10.0.0.0/8", host: "10.1.2.3", bypasses: true),
        NoProxyCase(noProxy: "10.0.0.0/8", host: "11.1.2.3", bypasses: false),
        NoProxyCase(noProxy: "169.254.169.254:80", host: "169.254.169.254", bypasses: true),
        NoProxyCase(noProxy: "LOCALHOST", host: "localhost", bypasses: true),
        NoProxyCase(noProxy: "::1", host: "[::1]", bypasses: true),
        NoProxyCase(noProxy: "[::1]", host: "::1", bypasses: true),
        NoProxyCase(noProxy: "", host: "127.0.0.1", bypasses: false),
        NoProxyCase(noProxy: "example.com", host: "example.com.", bypasses: true),
    ]

    @Test(arguments: noProxyCases)
    func matchesNoProxyEntries(_ example: NoProxyCase) {
        let settings = ProxySettings(httpsProxy: "http://proxy:3128", httpProxy: "http://proxy:3128", noProxy: example.noProxy)
        let chosen = settings.proxy(scheme: "https", host: example.host)
        #expect((chosen == nil) == example.bypasses)
    }

    @Test func readsTheVariablesInLibcurlsOrder() {
        let settings = ProxySettings(environment: [
            "https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:1", "HTTP_PROXY": "http://plain:2",
            "ALL_PROXY": "http://all:3", "no_proxy": "a.example", "NO_PROXY": "b.example",
        ])
        #expect(settings.httpsProxy == "http://lower:1")
        #expect(settings.httpProxy == "http://plain:2")
        #expect(settings.noProxy == ["a.example"])
    }

    @Test func fallsBackToAllProxyAndIgnoresEmptyValues() {
        let settings = ProxySettings(environment: ["HTTPS_PROXY": " ", "all_proxy": "socks5://all:1080"])
        #expect(settings.httpsProxy == "socks5://all:1080")
        #expect(settings.httpProxy == "socks5://all:1080")
        #expect(ProxySettings(environment: [:]).proxy(scheme: "https", host: "example.com") == nil)
    }

    @Test func choosesTheProxyByScheme() {
        let settings = ProxySettings(httpsProxy: "http://secure:1", httpProxy: "http://plain:2")
        #expect(settings.proxy(scheme: "https", host: "example.com") == "http://secure:1")
        #expect(settings.proxy(scheme: "http", host: "example.com") == "http://plain:2")
    }

    @Test func redactsProxyCredentials() {
        #expect(ProxySettings.redactedProxyURL("http://user:pa55@proxy:3128") == "http://(redacted)@proxy:3128")
        #expect(ProxySettings.redactedProxyURL("http://proxy:3128") == "http://proxy:3128")
    }
}
