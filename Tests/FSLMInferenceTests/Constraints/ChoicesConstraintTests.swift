import FSLMInference
import Testing

@Suite struct ChoicesConstraintTests {
    /// A hand-made vocabulary; id 8 ends the sequence, id 9 is an empty control token.
    static let vocabulary = TokenVocabulary(
        tokens: ["y", "es", "yes", "no", " ", "please", "n", "o", "</s>", "", "yes ", "x", "e", "s"],
        endOfSequence: [8]
    )
    static let (y, es, yes, no, space, please, n, o, eos, control, yesSpace, x, e, s) =
        (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)

    private func constraint(_ choices: [String]) -> ChoicesConstraint {
        ChoicesConstraint(choices: choices, vocabulary: Self.vocabulary)
    }

    @Test func onlyTokensSpellingAPrefixOfAChoiceAreAllowed() {
        var yesNo = constraint(["yes", "no"])
        // "y", "yes", "no", "n" start a choice, and " " starts " yes" or " no" (one leading space
        // is allowed); "yes " runs past "yes", "e"/"s"/"x" start none, the empty control token
        // would not advance, and EOS is not allowed before a whole choice.
        #expect(yesNo.allowedTokens() == [Self.y, Self.yes, Self.no, Self.space, Self.n])
        #expect(!yesNo.isComplete)
    }

    @Test func aMultiTokenChoiceAdvancesTokenByToken() {
        var yesNo = constraint(["yes", "no"])
        yesNo.accept(Self.y)
        // After "y": "es" or "e" (not "s", "yes", "no").
        #expect(yesNo.allowedTokens() == [Self.es, Self.e])
        #expect(!yesNo.isComplete)
        yesNo.accept(Self.e)
        #expect(yesNo.allowedTokens() == [Self.s])
        yesNo.accept(Self.s)
        // "yes" is whole and no longer choice continues it: only EOS.
        #expect(yesNo.allowedTokens() == [Self.eos])
        #expect(yesNo.isComplete)
        yesNo.accept(Self.eos)
        #expect(yesNo.allowedTokens() == [])
        #expect(yesNo.isComplete)
        #expect(!yesNo.isImpossible)
    }

    @Test func choicesSharingAPrefixStayOpenTogether() {
        var choices = constraint(["yes", "yes please"])
        // "yes " is allowed now: it can still become "yes please".
        #expect(choices.allowedTokens() == [Self.y, Self.yes, Self.space, Self.yesSpace])
        choices.accept(Self.yes)
        // "yes" is whole, and " " continues "yes please": both EOS and " ".
        #expect(choices.allowedTokens() == [Self.space, Self.eos])
        #expect(choices.isComplete)
        choices.accept(Self.space)
        #expect(choices.allowedTokens() == [Self.please])
        #expect(!choices.isComplete)
        choices.accept(Self.please)
        #expect(choices.allowedTokens() == [Self.eos])
        #expect(choices.isComplete)
    }

    @Test func tokensLeadingToADeadEndAreNotAllowed() {
        // "a" would need a token "b" to go on, and there is none; "ab" spells the choice at once.
        let vocabulary = TokenVocabulary(tokens: ["a", "ab", "abc", "c", "<eos>"], endOfSequence: [4])
        var choices = ChoicesConstraint(choices: ["ab"], vocabulary: vocabulary)
        #expect(choices.allowedTokens() == [1])
        // No token spells any of "zz" at all: impossible from the start.
        var none = ChoicesConstraint(choices: ["zz"], vocabulary: vocabulary)
        #expect(none.allowedTokens() == [])
        #expect(!none.isComplete)
    }

    @Test func aTokenThatIsNotAllowedMakesTheConstraintImpossibleUntilReset() {
        var yesNo = constraint(["yes", "no"])
        yesNo.accept(Self.x)
        #expect(yesNo.isImpossible)
        #expect(yesNo.allowedTokens() == [])
        #expect(!yesNo.isComplete)
        yesNo.accept(Self.y)
        #expect(yesNo.isImpossible)

        yesNo.reset()
        #expect(!yesNo.isImpossible)
        #expect(yesNo.allowedTokens() == [Self.y, Self.yes, Self.no, Self.space, Self.n])
    }

    @Test func endingEarlyOrGoingOnAfterTheEndIsImpossible() {
        var early = constraint(["yes", "no"])
        early.accept(Self.y)
        early.accept(Self.eos)
        #expect(early.isImpossible)

        var late = constraint(["no"])
        late.accept(Self.no)
        late.accept(Self.eos)
        late.accept(Self.space)
        #expect(late.isImpossible)
        #expect(!late.isComplete)

        var outOfRange = constraint(["no"])
        outOfRange.accept(99)
        #expect(outOfRange.isImpossible)
    }

    @Test func emptyChoicesAndTheEmptyChoice() {
        var nothing = constraint([])
        #expect(nothing.allowedTokens() == [])
        #expect(!nothing.isComplete)
        // "" is whole at once: EOS allowed, next to the tokens starting "no".
        var maybeEmpty = constraint(["", "no"])
        #expect(maybeEmpty.isComplete)
        #expect(maybeEmpty.allowedTokens() == [Self.no, Self.space, Self.n, Self.eos])
    }

    /// Tokenizers attach the space after "Kind:" to the word: " no" is "no" once trimmed.
    @Test func oneLeadingSpaceIsAllowedAndNoMore() {
        var yesNo = constraint(["yes", "no"])
        yesNo.accept(Self.space)
        #expect(yesNo.allowedTokens() == [Self.y, Self.yes, Self.no, Self.n])
        #expect(!yesNo.isComplete)
        yesNo.accept(Self.no)
        #expect(yesNo.allowedTokens() == [Self.eos])
        #expect(yesNo.isComplete)

        var twice = constraint(["no"])
        twice.accept(Self.space)
        twice.accept(Self.space)
        #expect(twice.isImpossible)
    }

    @Test func choicesAreMatchedByteByByteAcrossSplitCharacters() {
        // "é" is C3 A9: byte-fallback tokens 1 and 2 split it, token 3 is the whole character.
        let vocabulary = TokenVocabulary(bytes: [Array("caf".utf8), [0xC3], [0xA9], [0xC3, 0xA9], [0xC3, 0xA8], []], endOfSequence: [5])
        var cafe = ChoicesConstraint(choices: ["café"], vocabulary: vocabulary)
        #expect(cafe.allowedTokens() == [0])
        cafe.accept(0)
        // Not "è" (C3 A8).
        #expect(cafe.allowedTokens() == [1, 3])
        cafe.accept(1)
        #expect(cafe.allowedTokens() == [2])
        cafe.accept(2)
        #expect(cafe.allowedTokens() == [5])
    }

    @Test func aLongChoiceIsFollowedToItsEnd() {
        // 4000 bytes: deciding whether "a" can go on walks the whole trie (without recursion).
        let vocabulary = TokenVocabulary(tokens: ["a", "b", "ab", "ba", "<eos>"], endOfSequence: [4])
        let choice = String(repeating: "ab", count: 2000)
        var constraint = ChoicesConstraint(choices: [choice], vocabulary: vocabulary)
        // Greedy on logits preferring the highest id: "ab" at even offsets ("ba" never fits there).
        var text: [UInt8] = []
        while let token = constraint.allowedTokens().max(), !vocabulary.isEndOfSequence(token) {
            constraint.accept(token)
            text += vocabulary.bytes[token]
        }
        #expect(text == Array(choice.utf8))
        #expect(constraint.isComplete)
        #expect(constraint.allowedTokens() == [4])
    }

    @Test func applyMasksEveryOtherTokenIncludingPaddedIds() {
        var yesNo = constraint(["yes", "no"])
        // Logits for 14 tokens plus 2 padded ids the vocabulary does not have.
        var logits = (0..<16).map { Float($0) }
        yesNo.apply(&logits)
        #expect(unmasked(logits) == [Self.y, Self.yes, Self.no, Self.space, Self.n])
        #expect(logits[Self.no] == Float(Self.no))
    }

    @Test func theAllowedListsAreTheSameFromTheCache() {
        var yesNo = constraint(["yes", "no"])
        let first = yesNo.allowedTokens()
        yesNo.accept(Self.n)
        yesNo.reset()
        #expect(yesNo.allowedTokens() == first)
    }

    @Test func outputConstraintMakesChoicesOnly() {
        #expect(OutputConstraint.choices(["no"]).tokenConstraint(vocabulary: Self.vocabulary) is ChoicesConstraint)
        #expect(OutputConstraint.regex("a").tokenConstraint(vocabulary: Self.vocabulary) == nil)
        #expect(OutputConstraint.json.tokenConstraint(vocabulary: Self.vocabulary) == nil)
    }
}
