import Link from 'next/link';

export default function ShareNotFound() {
  return (
    <div className="card" style={{ padding: 32, textAlign: 'center' }} data-testid="share-not-found">
      <h1>Link not found</h1>
      <p className="muted">This share link does not exist. Check that it was copied whole.</p>
      <Link href="/" className="btn">
        Go to Lockstep
      </Link>
    </div>
  );
}
