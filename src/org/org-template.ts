import type { InitTemplateOptions } from '../kit/config.js';

/** The org part of `sextant init`'s commented starter: teams, repositories, services, people. */
export function orgTemplate(options: InitTemplateOptions): string {
  const repository = options.repositoryPath
    ? `  - id: app\n    # A local clone or bare repository (relative to this file), or \`url:\` for a remote.\n    path: ${options.repositoryPath}\n`
    : `  - id: app\n    # A local clone or bare repository (relative to this file), or \`url:\` for a remote.\n    url: https://git.example.com/acme/app.git\n`;
  return `# Teams form a tree through \`parent\`. Ids are lower-case: letters, digits, . _ -
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
