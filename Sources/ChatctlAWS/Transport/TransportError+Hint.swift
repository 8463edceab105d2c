extension TransportError {
    /// A hint on the likely cause and fix of this failure, lowercase with no trailing period.
    public var hint: String {
        switch kind {
        case .dns:
            return "the host name did not resolve: check the region and any --endpoint-url or "
                + "AWS_ENDPOINT_URL* setting, and that this machine can resolve names (DNS, VPN)"
        case .connect:
            return "nothing accepted the connection: check the endpoint URL and port, firewalls, "
                + "and that HTTPS_PROXY/NO_PROXY are right for this network"
        case .tls:
            return "the TLS connection could not be verified: if a proxy or firewall inspects TLS, "
                + "point AWS_CA_BUNDLE at its CA certificate (a PEM file); check that the file exists "
                + "and that the system clock is right"
        case .timeout:
            return "no answer in time: check the network and proxy, or try again later"
        case .reset:
            return "the connection broke during the exchange (a proxy, load balancer or firewall may "
                + "have closed it); it is safe to run again, ClientToken keeps StartChatContact idempotent"
        case .invalidResponse:
            return "the answer was not valid HTTP: the endpoint may not be the AWS service (check --endpoint-url), "
                + "or something on the way garbled it; the request may have been processed"
        case .proxy:
            return "the proxy failed: check HTTPS_PROXY/HTTP_PROXY (and its credentials), "
                + "or add the host to NO_PROXY to connect directly"
        case .invalidRequest:
            return "the request URL is not usable: check --endpoint-url (it must be http:// or https:// with a host)"
        case .other:
            return "run again with --verbose to see the exchange"
        }
    }
}
