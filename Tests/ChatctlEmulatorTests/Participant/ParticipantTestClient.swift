import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// The customer's side of a chat, over loopback HTTP: StartChatContact (signed), then the
/// Participant Service with `X-Amz-Bearer` tokens.
extension EmulatorTestClient {
    /// A Participant Service call: unsigned, the token in `X-Amz-Bearer`, and a SigV4
    /// `Authorization` header the emulator must ignore, as SDKs send one anyway.
    func participant(_ path: String, token: String?, body: String = "{}") async throws -> HTTPResponse {
        var request = request("POST", "/participant/" + path, body: body)
        if let token {
            request.headers.add(name: "X-Amz-Bearer", value: token)
        }
        request.headers.add(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=ignored/20260101/us-east-1/execute-api/aws4_request")
        return try await send(request)
    }

    /// Starts a chat and returns its contact id and ParticipantToken.
    func startChat(flow: String = "f-1", extra: String = "") async throws -> (contactID: String, participantToken: String) {
        let started = try await start(flow: flow, extra: extra)
        #expect(started.status == 200, "\(started.bodyText)")
        let json = try started.json
        return (
            try #require(json["ContactId"]?.stringValue), try #require(json["ParticipantToken"]?.stringValue)
        )
    }

    /// The connection types ChatJS asks for.
    static let bothTypes = ["WEBSOCKET", "CONNECTION_CREDENTIALS"]

    /// CreateParticipantConnection with `types` (both by default); returns the answer.
    func connect(_ participantToken: String, types: [String] = bothTypes) async throws -> JSONValue {
        let body = JSONWriter.compact.string(.object(["Type": .array(types.map(JSONValue.string))]))
        let answer = try await participant("connection", token: participantToken, body: body)
        #expect(answer.status == 200, "\(answer.bodyText)")
        return try answer.json
    }

    /// Starts a chat and connects its customer with `types`: contact id and ConnectionToken.
    func connectedChat(flow: String = "f-1", extra: String = "", types: [String] = bothTypes) async throws
        -> (contactID: String, connectionToken: String, answer: JSONValue)
    {
        let chat = try await startChat(flow: flow, extra: extra)
        let answer = try await connect(chat.participantToken, types: types)
        let token = try #require(answer["ConnectionCredentials"]?["ConnectionToken"]?.stringValue)
        return (chat.contactID, token, answer)
    }

    /// SendMessage of `text` as `text/plain`.
    func say(_ text: String, token: String) async throws -> HTTPResponse {
        try await participant(
            "message", token: token,
            body: JSONWriter.compact.string(.object(["ContentType": .string("text/plain"), "Content": .string(text)])))
    }

    /// GetTranscript with `body`.
    func transcript(_ token: String, _ body: String = "{}") async throws -> JSONValue {
        let answer = try await participant("transcript", token: token, body: body)
        #expect(answer.status == 200, "\(answer.bodyText)")
        return try answer.json
    }

    /// The admin view of a contact.
    func contactDetails(_ contactID: String) async throws -> JSONValue {
        try await admin("GET", "/_emulator/contacts/\(contactID)")
    }

    /// Moves emulated time forward.
    func advance(seconds: Int) async throws {
        _ = try await admin("POST", "/_emulator/advance", query: "seconds=\(seconds)")
    }
}

extension JSONValue {
    /// The `Content` of each message item of a transcript answer, in the answer's order.
    var messageContents: [String] {
        (self["Transcript"]?.arrayValue ?? []).filter { $0["Type"] == .string("MESSAGE") }
            .compactMap { $0["Content"]?.stringValue }
    }

    /// The `Type` of each item.
    var itemTypes: [String] {
        (self["Transcript"]?.arrayValue ?? []).compactMap { $0["Type"]?.stringValue }
    }
}
