import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="card" style={{ padding: 32, textAlign: 'center' }}>
      <h1>Not found</h1>
      <p className="muted">This model does not exist, or it was deleted.</p>
      <Link href="/" className="btn">
        Back to models
      </Link>
    </div>
  );
}
