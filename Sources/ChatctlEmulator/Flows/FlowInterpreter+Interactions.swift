/// Interactions: Lambda functions from the fixtures.
extension FlowInterpreter {
    /// The function's fixture response replaces `$.External`; a fixture error, or a function
    /// without a fixture, takes the error branch.
    func invokeLambda(_ action: FlowAction) -> Outcome {
        let arn = action.string("LambdaFunctionARN") ?? ""
        switch fixtures.lambdas[arn] {
        case .response(let response)?:
            data.external = response
            return .next
        case .error(let message)?:
            return .error("NoMatchingError", note: "the function failed: \(message)")
        case nil:
            return .error("NoMatchingError", note: "no Lambda function \(arn) in the fixtures")
        }
    }
}
