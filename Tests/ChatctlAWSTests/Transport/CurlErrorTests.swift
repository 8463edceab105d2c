@testable import ChatctlAWS
import Testing

@Suite struct CurlErrorTests {
    struct Mapping: CustomTestStringConvertible, Sendable {
        var code: Int
        var name: String
        var throughProxy = false
        var kind: TransportError.Kind
        var testDescription: String { "\(name) (\(code))\(throughProxy ? " through a proxy" : "") → \(kind)" }
    }

    static let mappings: [Mapping] = [
        Mapping(code: 6, name: "CURLE_COULDNT_RESOLVE_HOST", kind: .dns),
        Mapping(code: 5, name: "CURLE_COULDNT_RESOLVE_PROXY", kind: .proxy),
        Mapping(code: 7, name: "CURLE_COULDNT_CONNECT", kind: .connect),
        Mapping(code: 7, name: "CURLE_COULDNT_CONNECT", throughProxy: true, kind: .proxy),
        Mapping(code: 97, name: "CURLE_PROXY", kind: .proxy),
        Mapping(code: 28, name: "CURLE_OPERATION_TIMEDOUT", kind: .timeout),
        Mapping(code: 35, name: "CURLE_SSL_CONNECT_ERROR", kind: .tls),
        Mapping(code: 60, name: "CURLE_PEER_FAILED_VERIFICATION", kind: .tls),
        Mapping(code: 77, name: "CURLE_SSL_CACERT_BADFILE", kind: .tls),
        Mapping(code: 52, name: "CURLE_GOT_NOTHING", kind: .reset),
        Mapping(code: 55, name: "CURLE_SEND_ERROR", kind: .reset),
        Mapping(code: 56, name: "CURLE_RECV_ERROR", kind: .reset),
        Mapping(code: 18, name: "CURLE_PARTIAL_FILE", kind: .reset),
        Mapping(code: 92, name: "CURLE_HTTP2_STREAM", kind: .reset),
        Mapping(code: 1, name: "CURLE_UNSUPPORTED_PROTOCOL", kind: .invalidRequest),
        Mapping(code: 3, name: "CURLE_URL_MALFORMAT", kind: .invalidRequest),
        Mapping(code: 27, name: "CURLE_OUT_OF_MEMORY", kind: .other),
    ]

    @Test(arguments: mappings)
    func mapsCurlCodesToTransportKinds(_ mapping: Mapping) {
        let error = CurlError(code: mapping.code, errorBuffer: nil, throughProxy: mapping.throughProxy)
        #expect(error.kind == mapping.kind)
        #expect(error.code == mapping.code)
        #expect(!error.summary.isEmpty)
    }

    @Test func describesWithTheTransfersMessageAndCurlsOwn() {
        let error = CurlError(code: 6, errorBuffer: "Could not resolve host: nonexistent.invalid\n")
        #expect(error.description == "Could not resolve host: nonexistent.invalid (curl error 6: Couldn't resolve host name)")
        let bare = CurlError(code: 28, errorBuffer: "")
        #expect(bare.description == "curl error 28: Timeout was reached")
        let transport = error.transportError(url: "https://connect.us-east-1.amazonaws.com/contact/chat")
        #expect(transport.kind == .dns)
        #expect(transport.description.hasPrefix("https://connect.us-east-1.amazonaws.com/contact/chat: Could not resolve"))
    }
}
