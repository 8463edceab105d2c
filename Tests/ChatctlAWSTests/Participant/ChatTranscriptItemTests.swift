import ChatctlAWS
import Testing

/// What an `aws/chat` frame's item says, as the live channel reads it.
@Suite struct ChatTranscriptItemTests {
    @Test func aStreamedChunkIsNotCompleteAndTheWholeMessageIs() throws {
        let chunk = try #require(ChatTranscriptItem.parse(json: """
            {"Id":"m-1","Type":"MESSAGE","ParticipantRole":"SYSTEM","Content":"Your bal",
             "MessageMetadata":{"MessageId":"m-1","MessageCompleted":false,"ChunkNumber":1}}
            """))
        #expect(!chunk.isComplete)
        let whole = try #require(ChatTranscriptItem.parse(json: """
            {"Id":"m-2","Type":"MESSAGE","Content":"Your balance is 42","MessageMetadata":{"MessageCompleted":true}}
            """))
        #expect(whole.isComplete)
        #expect(whole.content == "Your balance is 42")
    }

    @Test func anItemWithoutTheFlagIsComplete() throws {
        let plain = try #require(ChatTranscriptItem.parse(json: #"{"Id":"m-3","Type":"MESSAGE","Content":"hi"}"#))
        #expect(plain.isComplete)
        // Receipts in the metadata, no completion flag: still a whole message.
        let receipted = try #require(ChatTranscriptItem.parse(json: """
            {"Id":"m-4","Type":"MESSAGE","MessageMetadata":{"MessageId":"m-4","Receipts":[{"ReadTimestamp":"2026-01-01T00:00:00.000Z"}]}}
            """))
        #expect(receipted.isComplete)
        #expect(ChatTranscriptItem.parse(json: #"{"Type":"MESSAGE"}"#) == nil)
    }
}
