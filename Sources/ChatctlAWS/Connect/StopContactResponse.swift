/// The output of `StopContact`: the model defines no members; unknown ones are ignored.
public struct StopContactResponse: Sendable, Equatable, Decodable {
    /// Creates the empty response.
    public init() {}

    /// Accepts any JSON object.
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyCodingKey.self)
    }
}

/// A coding key for members whose names are not known in advance.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
