import Foundation

/// Where the next page of a transcript starts: the contact, the item's index and the
/// direction, as an opaque `NextToken`.
struct TranscriptPageToken: Sendable, Equatable {
    var contactID: String
    var index: Int
    var forward: Bool

    init(contactID: String, index: Int, forward: Bool) {
        self.contactID = contactID
        self.index = index
        self.forward = forward
    }

    /// Reads a token; `nil` when it is not one this emulator wrote.
    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = decoded.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "t1", parts[2] == "F" || parts[2] == "B", let index = Int(parts[3]) else {
            return nil
        }
        self.init(contactID: String(parts[1]), index: index, forward: parts[2] == "F")
    }

    /// The token's text.
    var text: String {
        ConnectBehaviour.participantToken(Array("t1|\(contactID)|\(forward ? "F" : "B")|\(index)".utf8))
    }

    /// Reads `yyyy-MM-ddThh:mm:ss.SSSZ` (the fraction optional).
    static func parseInstant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) {
            return date
        }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
