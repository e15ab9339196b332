# Multi-stage build of the API server: the SDK image builds and publishes, the ASP.NET runtime image runs it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/K8sHost.Server -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
VOLUME ["/data"]
EXPOSE 6443
ENTRYPOINT ["dotnet", "K8sHost.Server.dll", "--data-dir", "/data", "--bind-address", "0.0.0.0"]
