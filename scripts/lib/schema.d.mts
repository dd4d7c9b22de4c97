export declare const ROOT: string;
export declare const SCHEMA_PATH: string;
export declare const PROVIDERS: readonly ['sqlite', 'postgresql'];
/** The schema text for one provider, derived from prisma/schema.prisma. */
export declare function schemaFor(provider: 'sqlite' | 'postgresql', source?: string): string;
