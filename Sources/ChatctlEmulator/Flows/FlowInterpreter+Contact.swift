/// Contact actions: attributes, the working queue, the transfer to it.
extension FlowInterpreter {
    func updateContactAttributes(_ action: FlowAction) -> Outcome {
        let attributes = (action.parameters["Attributes"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            .mapValues { data.interpolate($0) }
        // All or nothing, and within the service's 32 KB of attributes.
        let merged = data.attributes.merging(attributes) { _, new in new }
        let bytes = merged.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard bytes <= 32 * 1024 else {
            return .error("NoMatchingError", note: "the attributes would exceed 32 KB")
        }
        host?.setAttributes(attributes)
        data.attributes = merged
        return .next
    }

    func updateTargetQueue(_ action: FlowAction) -> Outcome {
        guard let queue = action.string("QueueId") ?? action.string("AgentId") else {
            return .error("NoMatchingError", note: "no QueueId")
        }
        let resolved = data.interpolate(queue)
        guard !resolved.isEmpty else { return .error("NoMatchingError", note: "the queue reference is empty") }
        targetQueue = resolved
        return .next
    }

    /// Queues the contact and ends the flow; without a working queue, or when already
    /// queued, the error branch.
    func transferToQueue(_ action: FlowAction) -> Outcome {
        guard let targetQueue else {
            return .error("NoMatchingError", note: "no working queue was set (UpdateContactTargetQueue)")
        }
        return .queued(targetQueue)
    }
}
