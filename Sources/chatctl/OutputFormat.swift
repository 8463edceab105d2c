import ArgumentParser

/// How a command writes its results (docs/plan-and-apply.md, docs/validation.md).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// For people: aligned text, colour on a terminal only.
    case text
    /// For machines: stable, versioned JSON documented in docs/.
    case json
    /// For pull-request comments.
    case markdown
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    case github
}
