/// Flow-control actions: Compare, transfers between flows, hours, random splits, Wait.
extension FlowInterpreter {
    func compare(_ action: FlowAction) -> Outcome {
        .result(data.interpolate(action.string("ComparisonValue") ?? ""))
    }

    func transferToFlow(_ action: FlowAction) -> Outcome {
        let target = data.interpolate(action.string("ContactFlowId") ?? "")
        let id = FlowLibrary.flowId(target)
        guard let document = library.flows[id] else {
            return .error("NoMatchingError", note: "no loaded flow \(id)")
        }
        return .transfer(document, id: id)
    }

    /// "True" or "False" from the fixtures' hours (a fixed answer or a schedule on the
    /// emulator clock).
    func checkHours(_ action: FlowAction) -> Outcome {
        let id = action.string("HoursOfOperationId").map { data.interpolate($0) }
        guard let hours = id.flatMap({ fixtures.hoursOfOperation[$0] }) ?? fixtures.hoursOfOperation["default"] else {
            return .error("NoMatchingError", note: "no hours of operation \(id ?? "default") in the fixtures")
        }
        return .result(hours.isOpen(at: now) ? "True" : "False")
    }

    /// A draw of 0 to 99 from the contact's seeded generator, matched against the
    /// conditions (cumulative NumberLessThan thresholds in exports).
    func distribute(_ action: FlowAction) -> Outcome {
        let draw = Int(random.next() % 100)
        return .result(String(draw))
    }

    /// Waits for the customer (`CustomerReturned`) or the timeout (`WaitCompleted`).
    func wait(_ action: FlowAction) -> Outcome {
        let limit = action.parameters["TimeoutSeconds"] ?? action.parameters["TimeLimitSeconds"]
        guard let seconds = limit?.numberValue ?? limit?.stringValue.map({ data.interpolate($0) }).flatMap(Double.init) else {
            return .error("NoMatchingError", note: "no TimeoutSeconds")
        }
        pending = .wait(action)
        return .wait(until: now.addingTimeInterval(seconds))
    }
}
