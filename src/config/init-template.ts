/** The commented starter written by `sextant init`. It is valid as written. */
export function initTemplate(options: { name: string; repositoryPath: string | null }): string {
  const repository = options.repositoryPath
    ? `  - id: app\n    # A local clone or bare repository (relative to this file), or \`url:\` for a remote.\n    path: ${options.repositoryPath}\n`
    : `  - id: app\n    # A local clone or bare repository (relative to this file), or \`url:\` for a remote.\n    url: https://git.example.com/acme/app.git\n`;
  return `# Sextant workspace configuration. Reference: docs/configuration.md
# After editing, run \`sextant sync\` (or restart \`sextant serve\`) to apply it.
# An invalid file is rejected as a whole with the line and field of each problem.
version: 1

workspace:
  name: ${JSON.stringify(options.name)}
  # IANA time zone used for calendar weeks and months in reports.
  timezone: UTC

# Teams form a tree through \`parent\`. Ids are lower-case: letters, digits, . _ -
teams:
  - id: engineering
    name: Engineering
  - id: platform
    name: Platform
    parent: engineering
    description: Runtime, CI/CD and developer tooling
  - id: product
    name: Product Engineering
    parent: engineering

repositories:
${repository}
# A service is owned by one team, built from repositories, deployed to environments.
services:
  - id: app
    name: App
    team: product
    repositories:
      - repo: app
        # In a monorepo, keep only this service's commits:
        # paths: [services/app/**, libs/shared/**]
    # Deployments to a production environment count for delivery metrics.
    environments: [production, staging]

# People map commit authors and logins to teams. Every email, spelling of the
# name and login of one person belongs in one entry; bots are flagged.
# Metrics are reported per team and service, never per person.
people: []
#  - name: Ada Lovelace
#    team: platform
#    emails: [ada@example.com, ada@users.noreply.github.com]
#    aliases: [Ada L.]
#    logins: [ada-l]
#  - name: dependabot[bot]
#    bot: true
#    logins: [dependabot[bot]]
`;
}
