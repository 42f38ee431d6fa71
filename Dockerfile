# Node 24 is the maintained LTS inside the supported range (package.json "engines").
# Build
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

# Run
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 HTTP_PORT=4001
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# sessionctl on the PATH (docker compose exec session-service sessionctl ...); it resolves its
# imports through /app/package.json.
RUN chmod +x dist/apps/sessionctl/src/main.js && ln -s /app/dist/apps/sessionctl/src/main.js /usr/local/bin/sessionctl
USER node
EXPOSE 4000 4001
CMD ["node", "dist/apps/session-service/src/main.js"]
