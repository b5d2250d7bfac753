import FSLMInference
import Testing

@Suite struct StopStringsTests {
    /// Pushes `pieces` in turn; the text emitted, the pushes' `stopped` flags, and the matcher.
    private func run(_ stops: [String], _ pieces: [String]) -> (text: String, stopped: [Bool], matcher: StopStrings) {
        var matcher = StopStrings(stops)
        var text = ""
        var stopped: [Bool] = []
        for piece in pieces {
            let result = matcher.push(piece)
            text += result.emit
            stopped.append(result.stopped)
        }
        return (text, stopped, matcher)
    }

    @Test func aStopStringAcrossTokenBoundariesIsCaught() {
        var matcher = StopStrings(["\nW"])
        #expect(matcher.push("Hel") == ("Hel", false))
        #expect(matcher.push("lo\nWor") == ("lo", true))
        #expect(matcher.matched == "\nW")
        #expect(matcher.push("ld") == ("", true))
        #expect(matcher.finish() == "")
    }

    @Test func aPossibleBeginningIsHeldBackUntilItIsDecided() {
        var matcher = StopStrings(["\nW"])
        #expect(matcher.push("Hello\n") == ("Hello", false))
        #expect(matcher.heldBack == "\n")
        #expect(matcher.push("World") == ("", true))

        // Not a stop string after all: the held back text comes out with the next piece.
        matcher = StopStrings(["\nW"])
        #expect(matcher.push("ab\n") == ("ab", false))
        #expect(matcher.push("x") == ("\nx", false))
        #expect(!matcher.isStopped)
    }

    @Test func finishFlushesWhatIsHeldBack() {
        var matcher = StopStrings(["\nW"])
        #expect(matcher.push("end\n") == ("end", false))
        #expect(matcher.finish() == "\n")
        #expect(matcher.heldBack == "")
    }

    @Test func theEarliestOfSeveralStopStringsWins() {
        // "lo" begins at 3, "World" at 6.
        let both = run(["World", "lo"], ["Hello World"])
        #expect(both.text == "Hel")
        #expect(both.matcher.matched == "lo")
        // Across pieces: "Wor" is held back as the start of "World" until "ld" arrives.
        let split = run(["World", "xyz"], ["Hello Wor", "ld!"])
        #expect(split.text == "Hello ")
        #expect(split.stopped == [false, true])
    }

    @Test func aStopStringThatIsAPrefixOfAnother() {
        // "ab" completes first; "abc" could only have matched later.
        let shorter = run(["abc", "ab"], ["x", "a", "b", "c"])
        #expect(shorter.text == "x")
        #expect(shorter.stopped == [false, false, true, true])
        #expect(shorter.matcher.matched == "ab")
        // Both complete in one piece, from the same start: the text is the same, the shorter is named.
        let together = run(["ab", "abc"], ["xabc"])
        #expect(together.text == "x")
        #expect(together.matcher.matched == "ab")
    }

    @Test func overlappingBeginningsAreHeldBackCorrectly() {
        // "aab" inside "aaab": after "aaa" only the last "aa" can begin it.
        let result = run(["aab"], ["a", "a", "a", "b", "c"])
        #expect(result.text == "a")
        #expect(result.stopped == [false, false, false, true, true])
    }

    @Test func unicodeIsComparedByScalars() {
        // A stop string of two scalars (a flag) split across pieces.
        let flag = run(["🇫🇷"], ["Vive la ", "🇫", "🇷!"])
        #expect(flag.text == "Vive la ")
        #expect(flag.stopped == [false, false, true])
        // Multi-byte characters before the stop string come out whole.
        let accents = run(["ß"], ["naïve ", "Straße"])
        #expect(accents.text == "naïve Stra")
        // "e" + U+0301 contains the scalar "e"; precomposed "é" (U+00E9) does not.
        #expect(run(["e"], ["cafe\u{301}"]).text == "caf")
        var precomposed = StopStrings(["e"])
        #expect(precomposed.push("caf\u{E9}") == ("caf\u{E9}", false))
    }

    @Test func noOrEmptyStopStringsEmitEverything() {
        var none = StopStrings([])
        #expect(none.push("abc") == ("abc", false))
        var empty = StopStrings([""])
        #expect(empty.push("abc") == ("abc", false))
        #expect(empty.finish() == "")
    }
}
