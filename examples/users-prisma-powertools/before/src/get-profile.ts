import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';

function db(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
}

// GET /me
const getProfile = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  const prisma = db();
  // Make every unqualified table name resolve to the tenant's schema.
  await prisma.$executeRaw`SELECT set_config('search_path', ${`tenant_${event.headers['x-tenant-id']}`}, false)`;
  const cognitoSub = String(event.requestContext.authorizer.jwt.claims.sub);
  const profile = await prisma.profile.findUnique({ where: { cognitoSub } });
  await prisma.$disconnect();
  return profile ? { statusCode: 200, body: JSON.stringify(profile) } : { statusCode: 404, body: '' };
};

export const handler = middy(getProfile).use(httpErrorHandler());
