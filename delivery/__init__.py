"""How the tracker's pages reach many readers from several servers: HTTP caching (validators,
304s, kept pages), read replicas and the health endpoints a load balancer asks.

Kept apart from the `commitments` app: nothing here knows what a commitment is; it reads
the public data's version (commitments.models.dataversion) and the shared cache
(commitments.exports.cache), and wraps every request. docs/scaling.md describes the whole."""
