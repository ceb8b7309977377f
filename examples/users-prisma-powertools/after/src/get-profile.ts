import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { prisma } from './db.js';

// GET /me
const getProfile = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  // The tenant is a column, not a `SET search_path`: session settings pin the connection behind RDS Proxy.
  const tenantId = String(event.headers['x-tenant-id']);
  const cognitoSub = String(event.requestContext.authorizer.jwt.claims.sub);
  const profile = await prisma.profile.findUnique({ where: { tenantId_cognitoSub: { tenantId, cognitoSub } } });
  return profile ? { statusCode: 200, body: JSON.stringify(profile) } : { statusCode: 404, body: '' };
};

export const handler = middy(getProfile).use(httpErrorHandler());
