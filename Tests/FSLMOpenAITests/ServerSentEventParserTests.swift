import FSLMOpenAI
import Testing

/// The SSE reader on streams cut anywhere, and the writer it reads back.
@Suite struct ServerSentEventParserTests {
    let text = "event: chunk\r\ndata: {\"a\":1}\r\n\r\n: a comment\ndata: line one\ndata:line two\nid: 7\n\ndata: [DONE]\n\n"
    let expected = [
        ServerSentEvent(event: "chunk", data: "{\"a\":1}"), ServerSentEvent(data: "line one\nline two"), ServerSentEvent(data: "[DONE]"),
    ]

    @Test func readsEventsWhateverTheCuts() {
        let bytes = Array(text.utf8)
        for size in 1...bytes.count {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += parser.push(bytes[start..<min(start + size, bytes.count)])
            }
            #expect(events == expected, "pieces of \(size) bytes")
            #expect(!parser.hasPartialEvent)
        }
    }

    @Test func aCutEventIsNeverGivenOut() {
        var parser = ServerSentEventParser()
        #expect(parser.push(Array("data: {\"a\":1}\n".utf8)).isEmpty)
        #expect(parser.hasPartialEvent)
    }

    @Test func encodedEventsReadBack() {
        var parser = ServerSentEventParser()
        let events = expected + [ServerSentEvent(event: "result", data: "")]
        #expect(parser.push(Array(events.map(\.encoded).joined().utf8)) == events)
    }
}
