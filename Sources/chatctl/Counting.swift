/// `1 profile`, `3 profiles`: a count with its noun, for summaries people read.
func counted(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
}
