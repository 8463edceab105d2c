import Testing
@testable import ChatctlCore

/// `--selector` (SPEC section 5): kubectl's equality-based selectors, every term must hold.
@Suite struct LabelSelectorTests {
    static let care = ["team": "care", "tier": "gold"]
    static let sales = ["team": "sales"]

    @Test func parsesEachKindOfTerm() {
        #expect(LabelSelector("team=care")?.requirements == [.equals("team", "care")])
        #expect(LabelSelector("team==care")?.requirements == [.equals("team", "care")])
        #expect(LabelSelector("tier!=gold")?.requirements == [.notEquals("tier", "gold")])
        #expect(LabelSelector("tier")?.requirements == [.exists("tier")])
        #expect(LabelSelector(" team=care , tier ")?.requirements == [.equals("team", "care"), .exists("tier")])
    }

    @Test(arguments: ["", ",", "team=care,", "=care", "!=gold", "two words"])
    func refusesWhatIsNotASelector(text: String) {
        #expect(LabelSelector(text) == nil)
    }

    @Test func everyTermMustHold() throws {
        let selector = try #require(LabelSelector("team=care,tier"))
        #expect(selector.matches(Self.care))
        #expect(!selector.matches(["team": "care"]), "tier is missing")
        #expect(!selector.matches(Self.sales))
    }

    @Test func notEqualsMatchesAProfileWithoutTheLabel() throws {
        let selector = try #require(LabelSelector("tier!=gold"))
        #expect(!selector.matches(Self.care))
        #expect(selector.matches(Self.sales), "no tier at all is not gold, as in kubectl")
        #expect(selector.matches(["tier": "silver"]))
    }

    @Test func anEmptyValueMatchesOnlyAnEmptyLabel() throws {
        let selector = try #require(LabelSelector("team="))
        #expect(selector.requirements == [.equals("team", "")])
        #expect(!selector.matches(Self.care))
        #expect(selector.matches(["team": ""]))
    }

    @Test func printsWhatItParsed() {
        #expect(LabelSelector("team==care, tier!=gold,vip")?.description == "team=care,tier!=gold,vip")
    }
}
