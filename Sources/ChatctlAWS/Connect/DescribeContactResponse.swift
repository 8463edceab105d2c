public import Foundation

/// The output of `DescribeContact`, reduced to what drift detection needs.
///
/// Decoding is lenient: unknown members are ignored, and a known member with an unexpected
/// type is read as absent rather than failing the whole response, so a model change on the
/// service side cannot break `plan`.
public struct DescribeContactResponse: Sendable, Equatable, Decodable {
    /// The `Contact` structure.
    public struct Contact: Sendable, Equatable, Decodable {
        /// `Arn`.
        public var arn: String?
        /// `Id`: the contact id.
        public var id: String?
        /// `InitialContactId`: the first contact of a chain of transfers.
        public var initialContactId: String?
        /// `PreviousContactId`.
        public var previousContactId: String?
        /// `RelatedContactId`.
        public var relatedContactId: String?
        /// `Channel`, for example `CHAT`.
        public var channel: String?
        /// `InitiationMethod`, for example `API`.
        public var initiationMethod: String?
        /// `InitiationTimestamp` (restJson1 epoch seconds, UTC).
        public var initiationTimestamp: Date?
        /// `DisconnectTimestamp` (UTC); absent while the contact is active.
        public var disconnectTimestamp: Date?
        /// `LastUpdateTimestamp` (UTC).
        public var lastUpdateTimestamp: Date?
        /// `DisconnectReason`, for example `CUSTOMER_DISCONNECT`.
        public var disconnectReason: String?
        /// `QueueInfo.Id`: the queue the contact waits in, once its flow queued it.
        public var queueId: String?
        /// `QueueInfo.EnqueueTimestamp` (UTC).
        public var enqueueTimestamp: Date?
        /// `AgentInfo.ConnectedToAgentTimestamp` (UTC): when an agent took the contact.
        public var connectedToAgentTimestamp: Date?

        /// Creates a contact description.
        public init(
            arn: String? = nil, id: String? = nil, initialContactId: String? = nil, previousContactId: String? = nil,
            relatedContactId: String? = nil, channel: String? = nil, initiationMethod: String? = nil,
            initiationTimestamp: Date? = nil, disconnectTimestamp: Date? = nil, lastUpdateTimestamp: Date? = nil,
            disconnectReason: String? = nil, queueId: String? = nil, enqueueTimestamp: Date? = nil,
            connectedToAgentTimestamp: Date? = nil
        ) {
            self.arn = arn
            self.id = id
            self.initialContactId = initialContactId
            self.previousContactId = previousContactId
            self.relatedContactId = relatedContactId
            self.channel = channel
            self.initiationMethod = initiationMethod
            self.initiationTimestamp = initiationTimestamp
            self.disconnectTimestamp = disconnectTimestamp
            self.lastUpdateTimestamp = lastUpdateTimestamp
            self.disconnectReason = disconnectReason
            self.queueId = queueId
            self.enqueueTimestamp = enqueueTimestamp
            self.connectedToAgentTimestamp = connectedToAgentTimestamp
        }

        enum CodingKeys: String, CodingKey {
            case arn = "Arn", id = "Id", initialContactId = "InitialContactId"
            case previousContactId = "PreviousContactId", relatedContactId = "RelatedContactId"
            case channel = "Channel", initiationMethod = "InitiationMethod"
            case initiationTimestamp = "InitiationTimestamp", disconnectTimestamp = "DisconnectTimestamp"
            case lastUpdateTimestamp = "LastUpdateTimestamp", disconnectReason = "DisconnectReason"
            case queueInfo = "QueueInfo", agentInfo = "AgentInfo"
        }

        /// The members of `QueueInfo` and `AgentInfo` it reads.
        enum NestedKeys: String, CodingKey {
            case id = "Id", enqueueTimestamp = "EnqueueTimestamp", connectedToAgentTimestamp = "ConnectedToAgentTimestamp"
        }

        /// Decodes each member independently; wrong types read as absent.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func string(_ key: CodingKeys) -> String? {
                (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil
            }
            func timestamp(_ key: CodingKeys) -> Date? {
                // restJson1's default timestamp format is epoch seconds, possibly fractional.
                guard let seconds = (try? container.decodeIfPresent(Double.self, forKey: key)) ?? nil else {
                    return nil
                }
                return Date(timeIntervalSince1970: seconds)
            }
            let queue = try? container.nestedContainer(keyedBy: NestedKeys.self, forKey: .queueInfo)
            let agent = try? container.nestedContainer(keyedBy: NestedKeys.self, forKey: .agentInfo)
            func nestedTimestamp(_ nested: KeyedDecodingContainer<NestedKeys>?, _ key: NestedKeys) -> Date? {
                guard let seconds = (try? nested?.decodeIfPresent(Double.self, forKey: key)) ?? nil else { return nil }
                return Date(timeIntervalSince1970: seconds)
            }
            self.init(
                arn: string(.arn), id: string(.id), initialContactId: string(.initialContactId),
                previousContactId: string(.previousContactId), relatedContactId: string(.relatedContactId),
                channel: string(.channel), initiationMethod: string(.initiationMethod),
                initiationTimestamp: timestamp(.initiationTimestamp), disconnectTimestamp: timestamp(.disconnectTimestamp),
                lastUpdateTimestamp: timestamp(.lastUpdateTimestamp), disconnectReason: string(.disconnectReason),
                queueId: (try? queue?.decodeIfPresent(String.self, forKey: .id)) ?? nil,
                enqueueTimestamp: nestedTimestamp(queue, .enqueueTimestamp),
                connectedToAgentTimestamp: nestedTimestamp(agent, .connectedToAgentTimestamp))
        }
    }

    /// `Contact`; `nil` when the response has none.
    public var contact: Contact?

    /// Creates a response.
    public init(contact: Contact? = nil) {
        self.contact = contact
    }

    enum CodingKeys: String, CodingKey {
        case contact = "Contact"
    }

    /// Decodes the `Contact` member; a `Contact` that is not an object reads as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.contact = (try? container.decodeIfPresent(Contact.self, forKey: .contact)) ?? nil
    }
}
