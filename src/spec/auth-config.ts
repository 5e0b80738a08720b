/**
 * The config file's `auth:` block: which credential the requests carry, always by the name of the
 * environment variable holding it, never the secret itself. Matched to the spec's security schemes
 * by src/spec/security.ts. A leaf, merged into src/config/schema.ts.
 */
import { z } from 'zod'

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected the name of an environment variable (letters, digits, _), not a secret value' })

export const AuthSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({ type: z.literal('bearer'), 'token-env': envName }),
    z.strictObject({
      type: z.literal('api-key'),
      in: z.enum(['header', 'query']).default('header'),
      name: z.string().min(1),
      'value-env': envName,
    }),
    z.strictObject({ type: z.literal('cookie'), name: z.string().min(1), 'value-env': envName }),
    z.strictObject({ type: z.literal('basic'), 'username-env': envName, 'password-env': envName }),
  ],
  { error: () => 'auth.type: expected one of none, bearer, api-key, cookie, basic' },
)
export type Auth = z.infer<typeof AuthSchema>
