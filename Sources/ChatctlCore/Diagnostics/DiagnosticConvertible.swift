/// An error that can be reported as a ``Diagnostic``: every stage's error type conforms.
public protocol DiagnosticConvertible: Error {
    /// The diagnostic to print for this error.
    var diagnostic: Diagnostic { get }
}
